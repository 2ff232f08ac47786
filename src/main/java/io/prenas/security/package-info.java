/**
 * Who may call the HTTP API: API keys stored as SHA-256 hashes ({@link io.prenas.security.ApiKeys}, pure Java so the
 * CLI can create entries), the servlet filter that checks them and caps JSON bodies, and CORS.
 */
package io.prenas.security;
