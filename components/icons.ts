/**
 * The icons the pages use, from Lucide (`lucide-static`, ISC licence): only these SVGs are imported, so a page
 * ships only the ones it renders, inline. Add an icon here (one import, one entry) before using it.
 */
import House from "lucide-static/dist/esm/icons/house.mjs";
import ShoppingCart from "lucide-static/dist/esm/icons/shopping-cart.mjs";
import Receipt from "lucide-static/dist/esm/icons/receipt.mjs";
import LayoutDashboard from "lucide-static/dist/esm/icons/layout-dashboard.mjs";
import User from "lucide-static/dist/esm/icons/user.mjs";
import LogIn from "lucide-static/dist/esm/icons/log-in.mjs";
import LogOut from "lucide-static/dist/esm/icons/log-out.mjs";
import ChartLine from "lucide-static/dist/esm/icons/chart-line.mjs";
import Package from "lucide-static/dist/esm/icons/package.mjs";
import Wallet from "lucide-static/dist/esm/icons/wallet.mjs";
import Landmark from "lucide-static/dist/esm/icons/landmark.mjs";
import Users from "lucide-static/dist/esm/icons/users.mjs";
import Percent from "lucide-static/dist/esm/icons/percent.mjs";
import UserCog from "lucide-static/dist/esm/icons/user-cog.mjs";
import ScrollText from "lucide-static/dist/esm/icons/scroll-text.mjs";
import Menu from "lucide-static/dist/esm/icons/menu.mjs";
import ChevronRight from "lucide-static/dist/esm/icons/chevron-right.mjs";
import ChevronLeft from "lucide-static/dist/esm/icons/chevron-left.mjs";
import Search from "lucide-static/dist/esm/icons/search.mjs";
import Download from "lucide-static/dist/esm/icons/download.mjs";
import Upload from "lucide-static/dist/esm/icons/upload.mjs";
import Plus from "lucide-static/dist/esm/icons/plus.mjs";
import Check from "lucide-static/dist/esm/icons/check.mjs";
import X from "lucide-static/dist/esm/icons/x.mjs";
import Globe from "lucide-static/dist/esm/icons/globe.mjs";
import Store from "lucide-static/dist/esm/icons/store.mjs";
import Inbox from "lucide-static/dist/esm/icons/inbox.mjs";
import ArrowUpDown from "lucide-static/dist/esm/icons/arrow-up-down.mjs";
import ArrowUp from "lucide-static/dist/esm/icons/arrow-up.mjs";
import ArrowDown from "lucide-static/dist/esm/icons/arrow-down.mjs";
import Image from "lucide-static/dist/esm/icons/image.mjs";
import Pencil from "lucide-static/dist/esm/icons/pencil.mjs";
import Archive from "lucide-static/dist/esm/icons/archive.mjs";
import Funnel from "lucide-static/dist/esm/icons/funnel.mjs";
import Settings from "lucide-static/dist/esm/icons/settings.mjs";
import Sparkles from "lucide-static/dist/esm/icons/sparkles.mjs";
import Apple from "lucide-static/dist/esm/icons/apple.mjs";
import Baby from "lucide-static/dist/esm/icons/baby.mjs";
import Sofa from "lucide-static/dist/esm/icons/sofa.mjs";
import Smartphone from "lucide-static/dist/esm/icons/smartphone.mjs";
import Shirt from "lucide-static/dist/esm/icons/shirt.mjs";
import Dumbbell from "lucide-static/dist/esm/icons/dumbbell.mjs";
import HeartPulse from "lucide-static/dist/esm/icons/heart-pulse.mjs";
import Droplets from "lucide-static/dist/esm/icons/droplets.mjs";
import Gift from "lucide-static/dist/esm/icons/gift.mjs";
import Flame from "lucide-static/dist/esm/icons/flame.mjs";
import Zap from "lucide-static/dist/esm/icons/zap.mjs";
import Tag from "lucide-static/dist/esm/icons/tag.mjs";
import Star from "lucide-static/dist/esm/icons/star.mjs";
import Heart from "lucide-static/dist/esm/icons/heart.mjs";
import Crown from "lucide-static/dist/esm/icons/crown.mjs";
import Truck from "lucide-static/dist/esm/icons/truck.mjs";
import ShoppingBag from "lucide-static/dist/esm/icons/shopping-bag.mjs";
import Timer from "lucide-static/dist/esm/icons/timer.mjs";
import LayoutTemplate from "lucide-static/dist/esm/icons/layout-template.mjs";
import ChevronUp from "lucide-static/dist/esm/icons/chevron-up.mjs";
import ChevronDown from "lucide-static/dist/esm/icons/chevron-down.mjs";
import Trash from "lucide-static/dist/esm/icons/trash.mjs";
import Eye from "lucide-static/dist/esm/icons/eye.mjs";
import EyeOff from "lucide-static/dist/esm/icons/eye-off.mjs";
import CalendarClock from "lucide-static/dist/esm/icons/calendar-clock.mjs";
import Link from "lucide-static/dist/esm/icons/link.mjs";
import Play from "lucide-static/dist/esm/icons/play.mjs";
import Pause from "lucide-static/dist/esm/icons/pause.mjs";
import MapPin from "lucide-static/dist/esm/icons/map-pin.mjs";
import Ticket from "lucide-static/dist/esm/icons/ticket.mjs";
import Clock from "lucide-static/dist/esm/icons/clock.mjs";
import Coins from "lucide-static/dist/esm/icons/coins.mjs";
import CreditCard from "lucide-static/dist/esm/icons/credit-card.mjs";
import PackageOpen from "lucide-static/dist/esm/icons/package-open.mjs";
import RotateCcw from "lucide-static/dist/esm/icons/rotate-ccw.mjs";
import Network from "lucide-static/dist/esm/icons/network.mjs";
import UserPlus from "lucide-static/dist/esm/icons/user-plus.mjs";
import SquarePen from "lucide-static/dist/esm/icons/square-pen.mjs";
import SearchX from "lucide-static/dist/esm/icons/search-x.mjs";
import Share2 from "lucide-static/dist/esm/icons/share-2.mjs";
import Minus from "lucide-static/dist/esm/icons/minus.mjs";
import ShieldCheck from "lucide-static/dist/esm/icons/shield-check.mjs";
import Copy from "lucide-static/dist/esm/icons/copy.mjs";
import Contact from "lucide-static/dist/esm/icons/contact.mjs";

const SOURCES = {
  home: House,
  cart: ShoppingCart,
  orders: Receipt,
  dashboard: LayoutDashboard,
  user: User,
  login: LogIn,
  logout: LogOut,
  analytics: ChartLine,
  package: Package,
  wallet: Wallet,
  landmark: Landmark,
  users: Users,
  percent: Percent,
  userCog: UserCog,
  audit: ScrollText,
  menu: Menu,
  chevronRight: ChevronRight,
  chevronLeft: ChevronLeft,
  search: Search,
  download: Download,
  upload: Upload,
  plus: Plus,
  check: Check,
  x: X,
  globe: Globe,
  store: Store,
  inbox: Inbox,
  sort: ArrowUpDown,
  sortUp: ArrowUp,
  sortDown: ArrowDown,
  image: Image,
  pencil: Pencil,
  archive: Archive,
  funnel: Funnel,
  settings: Settings,
  sparkles: Sparkles,
  apple: Apple,
  baby: Baby,
  sofa: Sofa,
  smartphone: Smartphone,
  shirt: Shirt,
  dumbbell: Dumbbell,
  heartPulse: HeartPulse,
  droplets: Droplets,
  gift: Gift,
  flame: Flame,
  zap: Zap,
  tag: Tag,
  star: Star,
  heart: Heart,
  crown: Crown,
  truck: Truck,
  shoppingBag: ShoppingBag,
  timer: Timer,
  layoutTemplate: LayoutTemplate,
  chevronUp: ChevronUp,
  chevronDown: ChevronDown,
  trash: Trash,
  eye: Eye,
  eyeOff: EyeOff,
  calendarClock: CalendarClock,
  link: Link,
  play: Play,
  pause: Pause,
  mapPin: MapPin,
  ticket: Ticket,
  clock: Clock,
  coins: Coins,
  creditCard: CreditCard,
  packageOpen: PackageOpen,
  afterSales: RotateCcw,
  network: Network,
  userPlus: UserPlus,
  edit: SquarePen,
  searchX: SearchX,
  bag: ShoppingBag,
  share: Share2,
  minus: Minus,
  shieldCheck: ShieldCheck,
  rotateCcw: RotateCcw,
  copy: Copy,
  contact: Contact,
} as const;

/** The name of an icon in the registry. */
export type IconName = keyof typeof SOURCES;

/** The names of every registered icon. */
export const ICON_NAMES = Object.keys(SOURCES) as IconName[];

const bodies = new Map<IconName, string>();

/** An icon's inner SVG markup (its paths, for a 24×24 view box, stroked in `currentColor`). */
export function iconBody(name: IconName): string {
  let body = bodies.get(name);
  if (body === undefined) {
    const source = String(SOURCES[name]);
    const inner = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(source)?.[1] ?? "";
    body = inner.replace(/\s*\n\s*/g, "").replace(/\s*\/>/g, "/>");
    bodies.set(name, body);
  }
  return body;
}
