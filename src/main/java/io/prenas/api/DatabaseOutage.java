package io.prenas.api;

import java.net.ConnectException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a database outage (server down, restarting, pool timed out waiting for a connection) from other errors, so
 * the API answers 503 with {@code Retry-After} rather than 500 while PostgreSQL is away.
 */
final class DatabaseOutage {

  private DatabaseOutage() {}

  static boolean isOutage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
          || t instanceof SQLTransientConnectionException || t instanceof ConnectException
          || isConnectionState(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * PostgreSQL's SQLState class 08 (connection exception) and 57P0x (the server is shutting down or starting), and a
   * pooled connection that died under its transaction (the pool reports it closed, without a state).
   */
  private static boolean isConnectionState(Throwable t) {
    if (!(t instanceof java.sql.SQLException sql)) {
      return false;
    }
    String state = sql.getSQLState();
    if (state != null) {
      return state.startsWith("08") || state.startsWith("57P0");
    }
    return String.valueOf(sql.getMessage()).contains("Connection is closed");
  }

  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
