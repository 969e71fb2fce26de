export { FakeGitHub, startFakeGitHub, type Fault, type FaultAction, type FakeGitHubOptions, type RecordedRequest } from './server';
export { FakeRepo, gitBlobSha, type FakeCommit, type FakePull } from './gitModel';
export * from './faults';
