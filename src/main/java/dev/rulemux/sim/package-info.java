/**
 * Simulation, as the product ships it: a simulated coding agent and a mock model server, so that rulemux can be
 * shown and tried with no model, no key and no network.
 *
 * <p>{@link dev.rulemux.sim.SimAgent} is {@code rulemux sim-agent}, the simulated agent the demo's team runs.
 * {@link dev.rulemux.sim.MockModelServer} speaks the Anthropic Messages, OpenAI Responses and Gemini APIs on
 * 127.0.0.1 and answers each agent turn as the {@link dev.rulemux.sim.Script} in its prompt says
 * ({@code [mock work=5s tokens=960000]}), paced by {@link dev.rulemux.sim.Pacer}; {@link dev.rulemux.sim.RealClis}
 * finds the pinned real CLIs and prepares throw-away homes to run them in against it ({@code rulemux demo --real}).
 * docs/real-clis.md records what each CLI calls and shows. The developers' tools built on these (benchmarks,
 * the screen recorder) are in {@code dev.rulemux.devtools}.
 */
package dev.rulemux.sim;
