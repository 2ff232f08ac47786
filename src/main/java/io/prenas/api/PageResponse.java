package io.prenas.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.function.Function;
import org.springframework.data.domain.Page;

@Schema(description = "One page of a list.")
record PageResponse<T>(
    @Schema(description = "The items of this page.") List<T> items,
    @Schema(description = "Page number, from 0.", example = "0") int page,
    @Schema(description = "Page size.", example = "20") int size,
    @Schema(description = "Items over all pages.", example = "42") long totalItems,
    @Schema(description = "Number of pages.", example = "3") int totalPages) {

  static <E, T> PageResponse<T> of(Page<E> page, Function<E, T> map) {
    return new PageResponse<>(page.getContent().stream().map(map).toList(), page.getNumber(), page.getSize(),
        page.getTotalElements(), page.getTotalPages());
  }
}
