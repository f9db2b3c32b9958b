/**
 * Configuration: the YAML files ({@code agents.yaml}, {@code tasks.yaml}, {@code profiles/}, {@code policy.yaml}) read into records, with validation that names file, line and field.
 */
package dev.rulemux.config;
