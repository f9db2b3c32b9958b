package dev.rulemux.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When two tasks' file globs may name the same file (erring on the side of yes). */
class ClaimTest {

    private static boolean overlap(String a, String b) {
        return new Claim("x", List.of(a)).overlaps(new Claim("y", List.of(b)));
    }

    @Test
    void theSameFileOverlaps() {
        assertThat(overlap("README.md", "./README.md")).isTrue();
        assertThat(overlap("README.md", "NOTES.md")).isFalse();
    }

    @Test
    void aFolderOverlapsWhatIsInIt() {
        assertThat(overlap("src", "src/app.txt")).isTrue();
        assertThat(overlap("src/**", "src/a/b.txt")).isTrue();
        assertThat(overlap("src/*.java", "src/App.java")).isTrue();
        assertThat(overlap("src/*.java", "src/App.txt")).isFalse();
    }

    @Test
    void globsWithDifferentLiteralFoldersDoNotOverlap() {
        assertThat(overlap("src/a/**", "src/b/*.txt")).isFalse();
        assertThat(overlap("src/**", "src/b/*.txt")).isTrue();
    }
}
