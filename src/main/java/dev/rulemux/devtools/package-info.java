/**
 * Developers' tools, not part of what a run does: the benchmarks behind docs/performance.md and
 * docs/benchmarks.md ({@code rulemux bench}: {@link dev.rulemux.devtools.Bench}, {@link dev.rulemux.devtools.TickBench},
 * {@link dev.rulemux.devtools.DeliveryBench}, {@link dev.rulemux.devtools.StartupBench}) and the recorder of the
 * reference screens the status detection is tested against ({@code rulemux record-screens}:
 * {@link dev.rulemux.devtools.ScreenRecorder}, its {@code ScreenScenarios}, {@code ScreenTake}s and
 * {@code FixtureReadme}). They drive the real CLIs and the simulated agent of {@code dev.rulemux.sim}.
 */
package dev.rulemux.devtools;
