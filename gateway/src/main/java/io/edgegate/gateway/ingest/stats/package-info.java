/**
 * What the MQTT side reports ({@link io.edgegate.gateway.ingest.stats.IngestStats}) and the reasons
 * it reports, one enum per meter, each constant with its {@code reason} tag. A leaf: every ingest
 * package reports through it, and {@code observe} implements it.
 */
package io.edgegate.gateway.ingest.stats;
