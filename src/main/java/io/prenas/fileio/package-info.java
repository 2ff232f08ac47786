/**
 * File plumbing shared by pure and edge code alike (atomic writes). Pure Java: no Spring, DJL or JobRunr, so that
 * {@code tensorio} may use it.
 */
package io.prenas.fileio;
