/**
 * Every route module of the web server, registered in this order by createWebServer
 * (src/web/server.ts). A new surface (feeds, badge, widget) is one file under src/web/
 * exporting a `WebRoutes` function, added here.
 */
import type { WebRoutes } from './server.js';
import { pageRoutes } from './routes-pages.js';
import { statuspageRoutes } from './api-statuspage.js';
import { feedRoutes } from './routes-feeds.js';

export const ROUTES: readonly WebRoutes[] = [pageRoutes, statuspageRoutes, feedRoutes];
