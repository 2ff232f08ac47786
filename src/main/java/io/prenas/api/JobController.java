package io.prenas.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.job.JobCommand;
import io.prenas.job.JobService;
import io.prenas.job.JobState;
import io.prenas.job.JobType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "jobs", description = "Selection, training, evaluation and pipeline jobs, run by workers")
class JobController {

  static final int MAX_PAGE_SIZE = 100;

  private final JobService jobs;
  private final ObjectMapper json;

  JobController(JobService jobs, ObjectMapper json) {
    this.jobs = jobs;
    this.json = json;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "submitJob", summary = "Submit a job",
      description = "Queues the job for a worker and answers 202 with its Location. With an Idempotency-Key header, "
          + "repeating the same request returns the job of the first one (200) instead of a new job. An evaluation "
          + "evaluates every preferred architecture of a supernet: by default a trained one (`trainingJob`, default "
          + "the space's latest), or with `supernet: imported` the space's imported weights (POST "
          + "/spaces/{name}/supernet) with the preferred table of `selectionJob` (a selection or an imported table, "
          + "default the space's latest) on the images of `dataPath` (required then; their validation part, or all "
          + "of them when they have none). With `publish` (default true for `imported`) it then publishes every "
          + "preferred subnet as a model: the paper's released supernets served without training.")
  @ApiResponse(responseCode = "202", description = "Queued",
      headers = @Header(name = "Location", description = "URL of the job", schema = @Schema(type = "string")))
  @ApiResponse(responseCode = "200", description = "The job of an earlier request with the same Idempotency-Key")
  @ApiResponse(responseCode = "400", description = "Invalid type, space or option value, or a required option "
      + "missing (the field is named, e.g. `options.epochs`, `options.dataPath`)",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "404", description = "No such space (`space`), or an option names a job that does "
      + "not exist (`options.selectionJob`, `options.trainingJob`)",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "409", description = "The Idempotency-Key was used for a different request, or a "
      + "named job is still queued or running and has no preferred table or supernet yet",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "422", description = "The job could not run: bins beyond the selector's limit of "
      + "100000 or holding no architecture of the space, no readable data at `dataPath` (IDX files or an "
      + "ImageFolder), a named job of another space or kind or one that ended without what is needed, a space "
      + "without a preferred table, trained or imported supernet (the field is named)",
      content = @Content(mediaType = "application/problem+json"))
  ResponseEntity<JobResponse> submit(@RequestBody JobSubmitRequest body,
      @Parameter(description = "Makes a repeated submit return the same job (1 to 200 characters)",
          example = "nightly-2026-01-31")
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
    if (body == null) {
      throw new ApiProblem("body", "a JSON object {type, space, options} is required");
    }
    JobType type = JobType.fromApiName(body.type());
    if (type == null) {
      throw new ApiProblem("type", "must be selection, training, evaluation or pipeline, got "
          + (body.type() == null ? "nothing" : "'" + body.type() + "'"));
    }
    JobService.Submitted s = jobs.submit(new JobCommand(type, body.space(), body.options()), idempotencyKey);
    return ResponseEntity.status(s.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
        .location(URI.create("/api/v1/jobs/" + s.job().id()))
        .body(JobResponse.of(s.job(), json));
  }

  @GetMapping("/{id}")
  @Operation(operationId = "getJob", summary = "Get a job", description = "State, phase, progress, ETA, metrics, worker, timestamps, "
      + "failure reason and the last log lines.")
  @ApiResponse(responseCode = "200", description = "The job")
  @ApiResponse(responseCode = "404", description = "No such job",
      content = @Content(mediaType = "application/problem+json"))
  JobResponse get(@PathVariable UUID id) {
    return JobResponse.of(jobs.get(id), json);
  }

  @GetMapping
  @Operation(operationId = "listJobs", summary = "List jobs", description = "Newest first, with optional filters.")
  PageResponse<JobResponse> list(
      @Parameter(description = "Filter by state", example = "RUNNING") @RequestParam(required = false) String state,
      @Parameter(description = "Filter by type", example = "selection") @RequestParam(required = false) String type,
      @Parameter(description = "Filter by space", example = "autoformer-tiny") @RequestParam(required = false)
      String space,
      @Parameter(description = "Page number, from 0", example = "0") @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "Page size, 1 to 100", example = "20") @RequestParam(defaultValue = "20") int size) {
    JobState st = null;
    if (state != null) {
      st = JobState.parse(state);
      if (st == null) {
        throw new ApiProblem("state", "must be QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED, got '" + state + "'");
      }
    }
    JobType ty = null;
    if (type != null) {
      ty = JobType.fromApiName(type);
      if (ty == null) {
        throw new ApiProblem("type", "must be selection, training, evaluation or pipeline, got '" + type + "'");
      }
    }
    return PageResponse.of(jobs.list(st, ty, space, pageRequest(page, size,
        Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("id")))), j -> JobResponse.of(j, json));
  }

  @PostMapping("/{id}/cancel")
  @Operation(operationId = "cancelJob", summary = "Cancel a job", description = "A queued job is cancelled at once; a running job stops at its "
      + "next step (the answer then shows cancelRequested=true while it is still RUNNING).")
  @ApiResponse(responseCode = "202", description = "Cancelled or cancellation requested")
  @ApiResponse(responseCode = "409", description = "The job has already ended",
      content = @Content(mediaType = "application/problem+json"))
  ResponseEntity<JobResponse> cancel(@PathVariable UUID id) {
    return ResponseEntity.accepted().body(JobResponse.of(jobs.cancel(id), json));
  }

  static PageRequest pageRequest(int page, int size, Sort sort) {
    if (page < 0) {
      throw new ApiProblem("page", "must not be negative, got " + page);
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw new ApiProblem("size", "must be between 1 and " + MAX_PAGE_SIZE + ", got " + size);
    }
    return PageRequest.of(page, size, sort);
  }
}
