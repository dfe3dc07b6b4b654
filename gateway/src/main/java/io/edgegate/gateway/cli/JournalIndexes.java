package io.edgegate.gateway.cli;

import java.util.Locale;
import picocli.CommandLine;

/**
 * Journal indexes on the command line: hex with {@code 0x} (as the commands print them, e.g. {@code
 * 0x4a6e300000012}) or decimal. A Chronicle index holds the roll cycle in its high bits, so indexes
 * are large and hex shows the file/sequence split.
 */
final class JournalIndexes implements CommandLine.ITypeConverter<Long> {

  @Override
  public Long convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT).replace("_", "");
    long index;
    try {
      index = v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a journal index (hex as 0x4a6e300000012, or decimal)");
    }
    if (index < 0) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a journal index: indexes are not negative");
    }
    return index;
  }

  /** An index as the commands print it. */
  static String hex(long index) {
    return "0x" + Long.toHexString(index);
  }
}
