export { projectUmap } from './project-umap';
export type { ProjectUmapOptions } from './project-umap';
export { renderBenchMarkdown } from './render-bench-markdown';
export { renderBenchReport } from './render-bench-report';
export { renderResultsMarkdown } from './render-results-markdown';
export { renderRunReport } from './render-run-report';
export { ReportError } from './report-error';
export { meanConfidenceInterval } from './mean-confidence-interval';
export type { MeanInterval } from './mean-confidence-interval';
export { studentTQuantile } from './student-t-quantile';
export { encodePng, pngDataUri } from './encode-png';
export type {
  BackendSummary,
  BenchReportData,
  BenchRun,
  CurvePoint,
  DivergenceMatrix,
  MetricValues,
  PhiSurface,
  Projection2D,
  ResultRow,
  RetrievalExample,
  RetrievalExamples,
  RunReportData,
} from './report-data';
