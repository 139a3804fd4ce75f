import { config } from './config';

App({
  onLaunch() {
    if (config.backend === 'cloud') {
      wx.cloud.init({ env: config.cloudEnv, traceUser: true });
    }
  },
});
