package io.edgegate.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** {@code gateway.*}: who this gateway is and where it keeps its state. */
public final class NodeConfig {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  @KeyDoc(
      value =
          "Names this gateway: `ce_source` (`edgegate://<id>/<client-id>`), the Kafka "
              + "`client.id`, and with exactly-once delivery the `transactional.id` "
              + "(`edgegate-<id>`) and the key of its position in `kafka.offsetsTopic`. Unique in"
              + " the fleet and stable over the gateway's life; 1 to 64 letters, digits, `.`, "
              + "`_`, `-`.",
      defaultValue = "the host name (`edgegate` if it is not a valid id)")
  public String id = defaultId();

  @KeyDoc(
      "The journal, the checkpoint, the sessions and (demo) the embedded broker's data "
          + "live below this directory; relative paths resolve against the working directory.")
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
