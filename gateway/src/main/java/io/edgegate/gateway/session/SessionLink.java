package io.edgegate.gateway.session;

/** The live connection a session is attached to. */
public interface SessionLink {
  /** Commands were queued: send what the device's window allows. Any thread. */
  void wake();
}
