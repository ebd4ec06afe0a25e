import "../../components/islands.css";
import { mountIslands } from "../../lib/islands";
import { parseVersionNoticeProps } from "./props";
import { VersionNotice } from "./VersionNotice";

mountIslands("version-notice", VersionNotice, parseVersionNoticeProps);
