package dev.rulemux.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The text of a task's {@code prompt_file}, read the one way that validation (tasks.yaml, {@code task add}) and
 * sending use: a regular file of UTF-8 text that is not blank. A file that cannot be read so is refused when the
 * task is declared; one that becomes unreadable later fails its task when it is due (it never blocks the queue).
 */
public final class PromptFile {

    /** Why a prompt file cannot be used: its message reads after the field, "is not a file: /path". */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    private PromptFile() {
    }

    /**
     * The prompt in {@code file}, stripped.
     *
     * @throws Unreadable when it is missing, not a regular file, not UTF-8, unreadable or blank
     */
    public static String read(Path file) throws Unreadable {
        if (!Files.isRegularFile(file)) {
            throw new Unreadable("is not a file: " + file);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Unreadable("is not a file: " + file);
        } catch (IOException | SecurityException e) {
            throw new Unreadable("cannot be read: " + file + " (" + e.getMessage() + ")");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Unreadable("cannot be read as UTF-8 text: " + file + " (" + e.getMessage() + "); save it as UTF-8");
        }
        if (text.isBlank()) {
            throw new Unreadable("is empty: " + file);
        }
        return text.strip();
    }
}
