import { pipelineAppTestConfig } from '@streamkit/testkit/vitest';

export default pipelineAppTestConfig(['kafka', 'postgres']);
