package io.prenas.job;

import io.prenas.catalog.PreferredArchitecture;
import io.prenas.catalog.PreferredTables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code evaluation} metrics of a job: one entry per preferred architecture, in table order. */
final class EvaluationReport {

  private EvaluationReport() {}

  static Map<String, Object> metrics(PreferredTables.Table table, List<TrainingEngine.Accuracy> acc) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < acc.size(); i++) {
      TrainingEngine.Accuracy a = acc.get(i);
      PreferredArchitecture row = table.rows().get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("archId", row.archId());
      m.put("binKey", row.binKey());
      m.put("params", a.params());
      m.put("flops", a.flops());
      m.put("top1", a.top1());
      m.put("top5", a.top5());
      if (Double.isFinite(a.loss())) {
        m.put("loss", a.loss());
      }
      m.put("images", a.images());
      out.add(m);
    }
    return Map.of("evaluation", out);
  }
}
