package dev.rulemux.text;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON printed to a terminal: JSON itself escapes the C0 controls, and these escapes add the characters it lets
 * through that a terminal would still act on, DEL, the C1 controls and the bidi overrides ({@link TerminalText#unsafe}),
 * as {@code \u009b}. The JSON stays valid and reads back to the same text.
 */
public final class JsonEscapes extends CharacterEscapes {

    private static final long serialVersionUID = 1L;

    private final int[] ascii;

    private JsonEscapes() {
        ascii = standardAsciiEscapesForJSON();
        ascii[0x7F] = ESCAPE_STANDARD;
    }

    /** {@code mapper}, whose writers from now on escape what a terminal would act on. */
    public static ObjectMapper applyTo(ObjectMapper mapper) {
        mapper.getFactory().setCharacterEscapes(new JsonEscapes());
        return mapper;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return TerminalText.unsafe(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
}
