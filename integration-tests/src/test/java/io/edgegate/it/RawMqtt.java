package io.edgegate.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Hand-built MQTT packets on a plain socket: what a broken or hostile device sends. Packets are
 * byte arrays so tests can cut, mutate and concatenate them.
 */
final class RawMqtt implements AutoCloseable {
  final Socket socket;

  private RawMqtt(Socket socket) {
    this.socket = socket;
  }

  static RawMqtt open(int port) throws IOException {
    return open("127.0.0.1", port);
  }

  /** Connects from local address {@code from} (any 127.x.y.z is this machine's loopback). */
  static RawMqtt open(String from, int port) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoLinger(true, 0); // closed with RST: thousands of fuzz sockets leave no TIME_WAIT
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return new RawMqtt(s);
  }

  void send(byte[]... packets) throws IOException {
    for (byte[] p : packets) {
      socket.getOutputStream().write(p);
    }
    socket.getOutputStream().flush();
  }

  /**
   * True if the gateway closed the connection within {@code millis} (reads and discards whatever it
   * sent before closing).
   */
  boolean closedWithin(long millis) throws IOException {
    long deadline = System.currentTimeMillis() + millis;
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[4096];
    while (true) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) Math.max(1, left));
      try {
        if (in.read(buf) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset by the gateway
      }
    }
  }

  /** Reads one packet, or null when none arrives within {@code timeoutMillis}. */
  byte[] readPacketOrNull(int timeoutMillis) throws IOException {
    try {
      return readPacket(timeoutMillis);
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  /** Reads one packet (first byte and body), or null at end of stream. */
  byte[] readPacket(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    InputStream in = socket.getInputStream();
    int first = in.read();
    if (first < 0) {
      return null;
    }
    int len = 0;
    int shift = 0;
    int b;
    do {
      b = in.read();
      if (b < 0) {
        return null;
      }
      len |= (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    byte[] out = new byte[len + 1];
    out[0] = (byte) first;
    int off = 1;
    while (off < out.length) {
      int n = in.read(out, off, out.length - off);
      if (n < 0) {
        return null;
      }
      off += n;
    }
    return out;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a socket the gateway already reset: nothing to release
    }
  }

  // ---- packet builders ----

  static byte[] packet(int firstByte, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
    out.write(firstByte);
    writeVarInt(out, body.length);
    out.write(body, 0, body.length);
    return out.toByteArray();
  }

  static void writeVarInt(ByteArrayOutputStream out, int value) {
    do {
      int digit = value % 128;
      value /= 128;
      if (value > 0) {
        digit |= 0x80;
      }
      out.write(digit);
    } while (value > 0);
  }

  static void writeString(ByteArrayOutputStream out, byte[] utf8) {
    out.write(utf8.length >> 8);
    out.write(utf8.length & 0xff);
    out.write(utf8, 0, utf8.length);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** CONNECT, clean session, no credentials. {@code level}: 4 (3.1.1) or 5. */
  static byte[] connect(int level, String clientId, int keepAlive) {
    return connect(level, clientId, keepAlive, null, null);
  }

  static byte[] connect(int level, String clientId, int keepAlive, String user, String password) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeString(b, utf8("MQTT"));
    b.write(level);
    int flags = 0x02 | (user != null ? 0x80 : 0) | (password != null ? 0x40 : 0);
    b.write(flags);
    b.write(keepAlive >> 8);
    b.write(keepAlive & 0xff);
    if (level >= 5) {
      b.write(0); // no properties
    }
    writeString(b, utf8(clientId));
    if (user != null) {
      writeString(b, utf8(user));
    }
    if (password != null) {
      writeString(b, utf8(password));
    }
    return packet(0x10, b.toByteArray());
  }

  /**
   * CONNECT without credentials; {@code clean}: CleanSession (3.1.1) / Clean Start (5); {@code
   * expiry}: MQTT 5 Session Expiry Interval in seconds (omitted when negative).
   */
  static byte[] connect(int level, String clientId, int keepAlive, boolean clean, long expiry) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeString(b, utf8("MQTT"));
    b.write(level);
    b.write(clean ? 0x02 : 0x00);
    b.write(keepAlive >> 8);
    b.write(keepAlive & 0xff);
    if (level >= 5) {
      if (expiry >= 0) {
        b.write(5);
        b.write(0x11);
        b.write((int) (expiry >> 24) & 0xff);
        b.write((int) (expiry >> 16) & 0xff);
        b.write((int) (expiry >> 8) & 0xff);
        b.write((int) expiry & 0xff);
      } else {
        b.write(0);
      }
    }
    writeString(b, utf8(clientId));
    return packet(0x10, b.toByteArray());
  }

  /** MQTT 5 CONNECT, Clean Start 0, with Session Expiry Interval and Receive Maximum. */
  static byte[] connect5(String clientId, long expiry, int receiveMaximum) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeString(b, utf8("MQTT"));
    b.write(5);
    b.write(0x00);
    b.write(0);
    b.write(60);
    b.write(8);
    b.write(0x11);
    b.write((int) (expiry >> 24) & 0xff);
    b.write((int) (expiry >> 16) & 0xff);
    b.write((int) (expiry >> 8) & 0xff);
    b.write((int) expiry & 0xff);
    b.write(0x21);
    b.write(receiveMaximum >> 8);
    b.write(receiveMaximum & 0xff);
    writeString(b, utf8(clientId));
    return packet(0x10, b.toByteArray());
  }

  /** An acknowledgement packet of two bytes of packet id: PUBACK 0x40, PUBREC 0x50, ... */
  static byte[] ack(int firstByte, int packetId) {
    return packet(firstByte, new byte[] {(byte) (packetId >> 8), (byte) packetId});
  }

  /** PUBREL (its fixed header has the reserved bits 0010 [MQTT-3.6.1-1]). */
  static byte[] pubrel(int packetId) {
    return ack(0x62, packetId);
  }

  /** The packet id in bytes 1-2 of a read PUBACK/PUBREC/PUBREL/PUBCOMP/SUBACK. */
  static int packetId(byte[] packet) {
    return ((packet[1] & 0xff) << 8) | (packet[2] & 0xff);
  }

  /** SUBSCRIBE with the requested QoS. */
  static byte[] subscribe(int level, int packetId, String filter, int qos) {
    byte[] p = subscribe(level, packetId, filter);
    p[p.length - 1] = (byte) qos;
    return p;
  }

  /** PUBLISH with the topic's bytes as given (so tests can send invalid UTF-8). */
  static byte[] publish(int level, byte[] topic, int qos, int packetId, byte[] payload) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeString(b, topic);
    if (qos > 0) {
      b.write(packetId >> 8);
      b.write(packetId & 0xff);
    }
    if (level >= 5) {
      b.write(0);
    }
    b.write(payload, 0, payload.length);
    return packet(0x30 | (qos << 1), b.toByteArray());
  }

  static byte[] publish(int level, String topic, int qos, int packetId, String payload) {
    return publish(level, utf8(topic), qos, packetId, utf8(payload));
  }

  static byte[] subscribe(int level, int packetId, String filter) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(packetId >> 8);
    b.write(packetId & 0xff);
    if (level >= 5) {
      b.write(0);
    }
    writeString(b, utf8(filter));
    b.write(1);
    return packet(0x82, b.toByteArray());
  }

  static byte[] pingreq() {
    return new byte[] {(byte) 0xc0, 0};
  }

  // ---- MQTT 5 properties (section 2.2.2): an identifier byte, then the value ----

  /** CONNECT level 5, clean start, no credentials, with these properties. */
  static byte[] connect5(String clientId, int keepAlive, byte[]... properties) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeString(b, utf8("MQTT"));
    b.write(5);
    b.write(0x02);
    b.write(keepAlive >> 8);
    b.write(keepAlive & 0xff);
    writeProperties(b, properties);
    writeString(b, utf8(clientId));
    return packet(0x10, b.toByteArray());
  }

  /** PUBLISH level 5 with these properties. */
  static byte[] publish5(
      String topic, int qos, int packetId, byte[] payload, byte[]... properties) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeString(b, utf8(topic));
    if (qos > 0) {
      b.write(packetId >> 8);
      b.write(packetId & 0xff);
    }
    writeProperties(b, properties);
    b.write(payload, 0, payload.length);
    return packet(0x30 | (qos << 1), b.toByteArray());
  }

  private static void writeProperties(ByteArrayOutputStream b, byte[]... properties) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] p : properties) {
      all.write(p, 0, p.length);
    }
    writeVarInt(b, all.size());
    b.write(all.toByteArray(), 0, all.size());
  }

  static byte[] byteProperty(int id, int value) {
    return new byte[] {(byte) id, (byte) value};
  }

  static byte[] twoByteProperty(int id, int value) {
    return new byte[] {(byte) id, (byte) (value >> 8), (byte) value};
  }

  static byte[] stringProperty(int id, String value) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(id);
    writeString(b, utf8(value));
    return b.toByteArray();
  }

  static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
  static final int AUTHENTICATION_METHOD = 0x15;
  static final int TOPIC_ALIAS = 0x23;

  /**
   * The reason code of an MQTT 5 acknowledgement or DISCONNECT read by {@link #readPacket}: 0 when
   * the packet ends before it (success, MQTT 5 §3.4.2.1). For a CONNACK, its reason code.
   */
  static int reasonCode(byte[] packet) {
    int type = packet[0] & 0xf0;
    int at =
        switch (type) {
          case 0x20 -> 2; // CONNACK: flags, reason
          case 0x40, 0x50, 0x60, 0x70 -> 3; // PUBACK..PUBCOMP: packet id, reason
          case 0xe0 -> 1; // DISCONNECT: reason
          default -> throw new IllegalArgumentException("no reason code in type " + type);
        };
    return packet.length > at ? packet[at] & 0xff : 0;
  }

  /** Reads packets until one of {@code type} (high nibble) arrives; null at end of stream. */
  byte[] readUntil(int type, int timeoutMillis) throws IOException {
    byte[] p;
    while ((p = readPacket(timeoutMillis)) != null) {
      if ((p[0] & 0xf0) == type) {
        return p;
      }
    }
    return null;
  }
}
