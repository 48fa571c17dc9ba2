/**
 * @module
 * The page script's entry: one bundle serves every page, and `<body data-page>` says which. Each
 * is translated first, so no view ever writes a string in the wrong language.
 */
import { byId } from "./dom";
import { startEmbed } from "./embed/frame";
import { languageSwitch, localize } from "./i18n/index";
import { startLanding } from "./landing";
import { startRoom } from "./room-page";

localize(document);
if (document.getElementById("language")) languageSwitch(byId("language", HTMLSelectElement));
if (document.body.dataset.page === "landing") startLanding();
else if (document.body.dataset.page === "room" && document.documentElement.classList.contains("embedded")) startEmbed();
else if (document.body.dataset.page === "room") void startRoom();
