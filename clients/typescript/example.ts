// Uses the generated client the way an application would, so that the compiler checks the contract's types:
// the best model under a budget, its typed config, and a selection job with options of its own type.
import { Configuration, JobsApi, ModelsApi, SelectionJobSubmitRequestTypeEnum } from "../../target/generated-ts-client";

export async function example(basePath: string, apiKey: string): Promise<string> {
  const config = new Configuration({ basePath, headers: { "X-API-Key": apiKey } });
  const best = await new ModelsApi(config).getBestModel({ space: "autoformer-tiny", maxParams: 6_000_000 });
  const layers: number | undefined = best.config?.layerNum;
  const job = await new JobsApi(config).submitJob({
    jobSubmitRequest: {
      type: SelectionJobSubmitRequestTypeEnum.Selection,
      space: "autoformer-tiny",
      options: { binMin: 5, binMax: 11, binInterval: 1, scoreMode: "subnet" },
    },
  });
  const phase: string | undefined = job.phase;
  return `${best.archId} (${layers} layers), job ${job.id} in phase ${phase}`;
}
