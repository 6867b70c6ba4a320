export { type HistorySettings, simulateHistory } from './history.ts';
export {
  createLiveEventStream,
  type LiveEventStream,
  type LivePostResult,
  type LivePostSettings,
  postLiveEvents,
} from './live.ts';
export {
  createShopperWorld,
  type Shopper,
  type ShopperSettings,
  ShopperSettingsError,
  type ShopperWorld,
  validateShopperSettings,
} from './shoppers.ts';
