#!/usr/bin/env node
// Launcher: registers the TypeScript loader (tsx) and runs the CLI, so the platform runs from source.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
