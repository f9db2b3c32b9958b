package dev.rulemux.board;

import dev.rulemux.domain.TaskBranch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tasks' git branches (agents in worktrees) and where each merge stands: written when a branch is made, before
 * a merge starts and when it ends, so that a run started again after a crash knows which merge to finish. A task has
 * at most one branch; making it again (the task sent again) replaces the row.
 */
public interface Branches {

    List<TaskBranch> branches();

    default Optional<TaskBranch> branch(String task) {
        return branches().stream().filter(b -> b.task().equals(task)).findFirst();
    }

    /** Writes {@code branch} over the task's row. */
    void put(TaskBranch branch);

    /** Kept in memory only (dry runs, tests, boards without a store). */
    final class InMemory implements Branches {
        private final Map<String, TaskBranch> rows = new LinkedHashMap<>();

        @Override
        public synchronized List<TaskBranch> branches() {
            return new ArrayList<>(rows.values());
        }

        @Override
        public synchronized void put(TaskBranch branch) {
            rows.put(branch.task(), branch);
        }
    }
}
