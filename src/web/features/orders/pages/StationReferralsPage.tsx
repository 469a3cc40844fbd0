import { StationReferralsSection } from './StationPages';

export default StationReferralsSection;
