import { StationFollowUpsSection } from './StationPages';

export default StationFollowUpsSection;
