#!/usr/bin/env node
// The main job. Until the conformance suite lands this prints what the SDK knows and what the
// embedded emulator serves.
import { allHResults } from '@openimapi/sdk';
console.log(`openimapi: ${allHResults().length} HRESULTs catalogued`);
