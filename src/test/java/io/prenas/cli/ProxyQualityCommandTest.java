package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyQualityCommandTest {

  @TempDir
  Path tmp;

  @Test
  void reportsTauPerBinAndOverallAndMeanBestRank() throws Exception {
    Path scores = tmp.resolve("scores.json");
    Files.writeString(scores, """
        {"0.5": [{"id": "a", "score": 3.0}, {"id": "b", "score": 2.0}, {"id": "c", "score": 1.0}],
         "1.0": [{"id": "d", "score": 9.0}, {"id": "e", "score": 8.0}, {"id": "unmeasured", "score": 1.0}]}
        """);
    Path results = tmp.resolve("results.json");
    // bin 0.5 ranked perfectly (tau 1, best picked); bin 1.0 reversed (tau -1, worst of 2 picked)
    Files.writeString(results, """
        [{"id": "a", "acc1": 80}, {"id": "b", "acc1": 70}, {"id": "c", "acc1": 60},
         {"id": "d", "acc1": 85}, {"id": "e", "acc1": 90}]
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PrenasCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "proxy-quality", "--scores",
        scores.toString(), "--results", results.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("0.5             3     1.0000").contains("1.0             2    -1.0000")
        // mBR = (0 + 1) / (2 + 1)
        .contains("mBR over 2 bins: 0.3333");
    // overall: of the 10 pairs only (d, e) is discordant -> (9 - 1) / 10
    assertThat(out.toString()).contains("all             5     0.8000");
  }

  @Test
  void nothingInCommonIsAClearError() throws Exception {
    Path scores = tmp.resolve("s.json");
    Files.writeString(scores, "{\"1.0\": [{\"id\": \"x\", \"score\": 1}]}");
    Path results = tmp.resolve("r.json");
    Files.writeString(results, "[{\"id\": \"y\", \"acc1\": 1}]");
    StringWriter err = new StringWriter();
    int code = PrenasCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "proxy-quality",
        "--scores", scores.toString(), "--results", results.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("fewer than two");
  }
}
