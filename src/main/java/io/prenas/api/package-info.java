/**
 * HTTP API v1: thin controllers over the catalog, job and storage services, JSON DTO records, and the one
 * {@code @RestControllerAdvice} that answers every error as RFC 9457 problem+json naming the field at fault.
 * Never imports DJL.
 */
package io.prenas.api;
