/**
 * Simulation: the real agent CLIs run offline against a mock model server.
 *
 * <p>{@link dev.rulemux.sim.MockModelServer} speaks the Anthropic Messages, OpenAI Responses and Gemini APIs
 * on 127.0.0.1 and answers each agent turn as the {@link dev.rulemux.sim.Script} in its prompt says
 * ({@code [mock work=5s tokens=960000]}); {@link dev.rulemux.sim.RealClis} finds the pinned CLIs and prepares
 * throw-away homes to run them in; {@link dev.rulemux.sim.ScreenRecorder} drives them in tmux into each status
 * (idle, working, approval, usage limit…) and records the screen fixtures. docs/real-clis.md records what
 * each CLI calls and shows.
 */
package dev.rulemux.sim;
