import type { Connection } from 'vscode-languageserver/node';
import type { App } from '../app/compose';
import type { JobProgressValue } from '../protocol';
import {
  ApplyChangeRequest,
  CreateJobRequest,
  FindMessagesAtLinesRequest,
  FinishChangeRequest,
  GetJobRequest,
  JobProgress,
  ListDestinationsRequest,
  ListJobsRequest,
  ListSessionsRequest,
  ListTemplatesRequest,
  PreviewExportRequest,
  RejectReviewRequest,
  RetryJobRequest,
  ReviewChangeRequest,
  RollbackJobRequest,
  TestDestinationRequest,
  ListSharedDestinationsRequest,
  ShareDestinationRequest,
  PublishTemplateRequest,
  ApplyTeamChangeRequest,
  RemoveSharedDestinationRequest,
  GrantDestinationAccessRequest,
  RevokeDestinationAccessRequest,
} from '../protocol';
import { requestHandler } from './handle';

/** Every custom request of the protocol, one line each into the application layer. */
export function registerHandlers(connection: Connection, app: () => Promise<App>): void {
  const on = requestHandler(connection, app);
  on(ListTemplatesRequest, (a) => a.catalog.templates());
  on(ListDestinationsRequest, (a) => a.catalog.destinations());
  on(TestDestinationRequest, (a, p, signal) => a.catalog.testDestination(p.destinationId, signal));
  on(ListSessionsRequest, (a, p) => a.transcripts.listSessions(p.path, p.sessionId));
  on(FindMessagesAtLinesRequest, (a, p) => a.transcripts.findMessagesAtLines(p.path, p.ranges));
  on(PreviewExportRequest, (a, p, signal) => a.exports.preview(p, signal));
  on(CreateJobRequest, (a, p, signal) => a.exports.accept(p.transactionId, p.explicit, { signal, force: p.force, onProgress: progressTo(connection, p.workDoneToken) }));
  on(RejectReviewRequest, (a, p) => a.rejectReview(p.transactionId, p.reason));
  on(ListJobsRequest, (a, p) => a.jobs.list(p ?? {}));
  on(GetJobRequest, (a, p) => a.jobs.get(p.jobId));
  on(RetryJobRequest, (a, p) => a.jobs.retry(p.jobId));
  on(RollbackJobRequest, (a, p, signal) => a.jobs.rollback(p.jobId, signal));
  on(ReviewChangeRequest, (a, p) => a.changes.review(p));
  on(ApplyChangeRequest, (a, p) => a.changes.apply(p.transactionId, p.explicit));
  on(FinishChangeRequest, (a, p) => a.changes.finish(p.transactionId, p.ok, p.message));
  on(ListSharedDestinationsRequest, (a) => a.team.listDestinations());
  on(ShareDestinationRequest, (a, p) => a.team.reviewSharedFromOwnCredentials(p.config, p.replace));
  on(PublishTemplateRequest, (a, p) => a.team.reviewTemplate(p.id, p.text));
  on(ApplyTeamChangeRequest, (a, p) => a.team.apply(p.transactionId, p.explicit));
  on(RemoveSharedDestinationRequest, (a, p) => a.team.removeDestination(p.destinationId));
  on(GrantDestinationAccessRequest, (a, p) => a.team.grant(p.destinationId, p.user, p.permission));
  on(RevokeDestinationAccessRequest, (a, p) => a.team.revoke(p.destinationId, p.user));
}

/** Job progress goes to the token the client sent with the request; none sent, none reported. */
function progressTo(connection: Connection, token: string | number | undefined): ((value: JobProgressValue) => void) | undefined {
  if (token === undefined) return undefined;
  return (value) => void connection.sendProgress(JobProgress.type, token, value);
}
