export { countDeliveries } from './count-deliveries.js';
export { countInbound } from './count-inbound.js';
export { countStoreWrites } from './count-store-writes.js';
export { EscalatorMetrics } from './escalator-metrics.js';
export { METRICS_PATH, metricsRoute } from './metrics-route.js';
