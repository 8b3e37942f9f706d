// All 10,000 fuzzing inputs of the seeded sequence (slow suite; the quick suite reads the first 2,500).
import { fuzzUnderstand } from './fuzz.js';

fuzzUnderstand(10_000);
