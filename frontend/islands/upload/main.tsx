import "../../components/islands.css";
import { mountIslands } from "../../lib/islands";
import { parseUploadProps } from "./props";
import { UploadIsland } from "./UploadIsland";

mountIslands("upload", UploadIsland, parseUploadProps);
