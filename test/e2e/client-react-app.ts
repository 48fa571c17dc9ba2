/**
 * @module
 * A React app built on the client library's hooks, bundled by test/e2e/client-browser.test.ts
 * and run in Chromium: the room's messages, its people and who is typing, plus a send box.
 */
import { createElement as h, useState } from "react";
import { createRoot } from "react-dom/client";
import { useMembers, useMessages, useRoom, useRoomState, useTyping } from "../../packages/client/src/react";

function Chat({ room: name }: { room: string }) {
  const room = useRoom({ url: location.origin, room: name, name: "react" });
  const messages = useMessages(room);
  const members = useMembers(room);
  const typing = useTyping(room);
  const state = useRoomState(room);
  const [draft, setDraft] = useState("");
  const send = (event: { preventDefault(): void }) => {
    event.preventDefault();
    void room?.send(draft);
    setDraft("");
  };
  return h(
    "main",
    { "data-state": state.state },
    h("ul", { "aria-label": "messages" }, ...messages.map((m) => h("li", { key: m.id }, `${m.from.name}: ${m.text}`))),
    h("ul", { "aria-label": "people" }, ...members.map((m) => h("li", { key: m.uid }, m.name))),
    h("p", { "aria-label": "typing" }, typing.map((t) => `${t.name} is typing`).join(", ")),
    h(
      "form",
      { onSubmit: send },
      h("input", { "aria-label": "message", value: draft, onChange: (e: { target: { value: string } }) => setDraft(e.target.value) }),
    ),
  );
}

// Over whatever page it was loaded into.
document.body.replaceChildren();
createRoot(document.body.appendChild(document.createElement("div"))).render(h(Chat, { room: decodeURIComponent(location.hash.slice(1)) }));
