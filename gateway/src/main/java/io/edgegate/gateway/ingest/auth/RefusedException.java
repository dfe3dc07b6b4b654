package io.edgegate.gateway.ingest.auth;

/** A CONNECT that must be refused; the message says why, without secrets. */
public final class RefusedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final Refusal refusal;

  public RefusedException(Refusal refusal, String why) {
    super(why, null, false, false); // expected outcome: no stack trace
    this.refusal = refusal;
  }

  public Refusal refusal() {
    return refusal;
  }
}
