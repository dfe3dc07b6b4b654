/**
 * MQTT itself, shared by every package that speaks it: topic filter matching (section 4.7) and the
 * gateway's reserved topic namespace. Depends on nothing else in the gateway.
 */
package io.edgegate.gateway.mqtt;
