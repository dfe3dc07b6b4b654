package io.edgegate.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** {@code gateway.*}: who this gateway is and where it keeps its state. */
public final class NodeConfig {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /**
   * Names this gateway in {@code ce_source} ({@code edgegate://<id>/<client-id>}); default: host
   * name.
   */
  public String id = defaultId();

  /**
   * The journal, the checkpoint and (demo) the embedded broker's data live below this directory.
   */
  public Path dataDir = Path.of("data");

  void validate(Problems problems) {
    problems.require(
        id != null && ID.matcher(id).matches(),
        "gateway.id",
        "must be 1 to 64 letters, digits, '.', '_' or '-' starting with a letter or digit (was '"
            + id
            + "')");
    problems.require(dataDir != null, "gateway.dataDir", "must be set");
  }

  private static String defaultId() {
    try {
      String host = InetAddress.getLocalHost().getHostName();
      return ID.matcher(host).matches() ? host : "edgegate";
    } catch (UnknownHostException e) {
      return "edgegate";
    }
  }
}
