package io.edgegate.sim.payload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads the {@link Stamp} fields from the top level of a JSON document, skipping everything else
 * without building a tree. Thread-safe.
 */
public final class JsonStamp {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonStamp() {}

  /** The stamp, or null if the document is not JSON or lacks one of the four fields. */
  public static Stamp read(byte[] payload) {
    String run = null;
    String device = null;
    long seq = -1;
    long sentAt = Long.MIN_VALUE;
    try (JsonParser p = JSON.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case Stamp.FIELD_RUN -> run = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case Stamp.FIELD_DEVICE -> device = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case Stamp.FIELD_SEQ -> seq = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
          case Stamp.FIELD_SENT_AT ->
              sentAt = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : Long.MIN_VALUE;
          default -> p.skipChildren();
        }
        if (run != null && device != null && seq >= 0 && sentAt != Long.MIN_VALUE) {
          return new Stamp(run, device, seq, sentAt); // the rest of the document is not needed
        }
      }
      return null;
    } catch (IOException e) {
      return null; // not JSON, or broken: not one of ours
    }
  }
}
