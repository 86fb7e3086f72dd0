export const PERIODS = [
  { value: "LAST_24_HOURS", label: "24 h" },
  { value: "LAST_7_DAYS", label: "7 d" },
  { value: "LAST_14_DAYS", label: "14 d" },
  { value: "LAST_30_DAYS", label: "30 d" },
];
