package io.edgegate.sim.audit;

/** The audit cannot start: nothing to audit, or a run record that cannot be read. */
public final class AuditException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuditException(String message) {
    super(message);
  }

  public AuditException(String message, Throwable cause) {
    super(message, cause);
  }
}
