/**
 * @module
 * The page script's entry: one bundle serves both pages, and `<body data-page>` says which.
 */
import { startLanding } from "./landing";
import { startRoom } from "./room-page";

if (document.body.dataset.page === "landing") startLanding();
else if (document.body.dataset.page === "room") void startRoom();
