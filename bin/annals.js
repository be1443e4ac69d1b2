#!/usr/bin/env node
// The `annals` command. The pipeline is TypeScript run through tsx's loader, so what editors run is
// exactly the source in pipeline/ — there is no separate compile step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../pipeline/cli.ts');
process.exitCode = await main(process.argv);
