const TIME = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** A moment as "MM/DD HH:mm" in the shop's time zone, identical on the server and in the browser. */
export function shortTime(iso: string): string {
  return TIME.format(new Date(iso));
}
