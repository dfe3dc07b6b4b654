package io.edgegate.gateway.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.gateway.pipeline.schema.SchemaCatalog;

/**
 * Validation and upcasting against the route's schema. Rule: a route with {@code schema} (its name
 * rendered from the route variables) takes only JSON objects valid as the version they claim (see
 * {@link ClaimedVersion}); a claimed older version is upcast step by step to the current one and
 * must be valid after each step. A valid event gets the current version's {@code ce_dataschema}.
 * The catalog is immutable (a reload builds a new one): any thread.
 */
final class SchemaValidation {
  private final SchemaCatalog schemas;

  SchemaValidation(SchemaCatalog schemas) {
    this.schemas = schemas;
  }

  /**
   * {@code body} validated as {@code version} of {@code name} (null: the current one) and upcast in
   * place; the result says why when it is not valid.
   */
  SchemaCatalog.Prepared prepare(String name, String version, ObjectNode body) {
    return schemas.prepare(name, version, body);
  }

  /** Whether preparing {@code version} may have changed the body (it was upcast). */
  static boolean upcasts(String version) {
    return version != null;
  }
}
