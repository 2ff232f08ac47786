package io.prenas.api;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.prenas.security.Problems;

/** The few answers the serving port makes without the API port: RFC 9457 problem details, as the API's. */
final class ServingProblems {

  private ServingProblems() {}

  /** 405 for anything but GET, HEAD and OPTIONS: the serving port is read-only. */
  static FullHttpResponse notARead(HttpRequest request) {
    FullHttpResponse r = problem(request, HttpResponseStatus.METHOD_NOT_ALLOWED, "the serving port answers reads "
        + "only (GET, HEAD, OPTIONS); send " + request.method().name() + " requests to the API port", "method");
    r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, OPTIONS");
    return r;
  }

  /** 502 when the API port on this host cannot be reached, or closed the connection before answering. */
  static FullHttpResponse apiUnreachable(HttpRequest request) {
    return problem(request, HttpResponseStatus.BAD_GATEWAY, "the serving port forwards this request to the API "
        + "port, which did not answer; try again", "request");
  }

  /** A request the HTTP decoder could not read (too long a line or headers, bad syntax). */
  static FullHttpResponse malformed(HttpRequest request, HttpResponseStatus status, Throwable cause) {
    String field = status == HttpResponseStatus.REQUEST_URI_TOO_LONG ? "uri"
        : status == HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE ? "headers" : "request";
    String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return problem(request, status, "the request could not be read: " + detail, field);
  }

  private static FullHttpResponse problem(HttpRequest request, HttpResponseStatus status, String detail,
      String field) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    byte[] body = Problems.json(status.code(), status.reasonPhrase(), detail, q < 0 ? uri : uri.substring(0, q), field);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return r;
  }
}
