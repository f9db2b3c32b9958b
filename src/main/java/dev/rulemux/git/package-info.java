/**
 * The git adapter: the only code that runs git. Argv lists (never a shell), a timeout on every call, both streams
 * drained ({@code proc.Exec}). It makes agents' worktrees and tasks' branches, and merges a branch into its base
 * without touching any working tree: {@code merge-tree --write-tree}, {@code commit-tree}, then {@code update-ref}
 * from the base's old value (a compare-and-swap), so a merge cut short changes nothing and is simply done again.
 * It never force-pushes, resets, or deletes a branch or worktree holding unmerged commits or untracked files.
 */
package dev.rulemux.git;
