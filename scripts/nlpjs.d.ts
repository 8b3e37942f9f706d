// The few parts of NLP.js 4 (plain JavaScript, no types) that scripts/compare-intent.ts uses.
declare module '@nlpjs/core' {
  export function containerBootstrap(): Promise<{ use(plugin: unknown): void; get(name: 'nlp'): NlpManagerLike }>;
  export interface NlpManagerLike {
    settings: { autoSave: boolean; log: boolean };
    addLanguage(lang: string): void;
    addDocument(lang: string, text: string, intent: string): void;
    train(): Promise<void>;
    process(lang: string, text: string): Promise<{ intent: string; score: number }>;
  }
}
declare module '@nlpjs/nlp' {
  export const Nlp: unknown;
}
declare module '@nlpjs/lang-fr' {
  export const LangFr: unknown;
}
declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}
