import "../../components/islands.css";
import "./notifications.css";
import { mountIslands } from "../../lib/islands";
import { NotificationsBell } from "./NotificationsBell";
import { parseNotificationsProps } from "./props";

mountIslands("notifications", NotificationsBell, parseNotificationsProps);
