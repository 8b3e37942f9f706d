// The first 2,500 fuzzing inputs (two of them 100 KB); all 10,000 run in the slow suite (fuzz-long.test.ts).
import { fuzzUnderstand } from './fuzz.js';

fuzzUnderstand(2_500);
