#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so there is one source for app and CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/run.ts');
